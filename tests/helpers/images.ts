import { crc32, deflateSync } from 'node:zlib'

/**
 * A real PNG file (8-bit RGB, `size`×`size` pixels) whose colour at each
 * pixel is `pixel(x, y)`, for upload tests that need bytes a browser and
 * the upload checks accept as an image.
 */
export function pngImage(
  size = 16,
  pixel: (x: number, y: number) => [number, number, number] = () => [230, 120, 20]
): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body))
    return Buffer.concat([length, body, crc])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header.set([8, 2, 0, 0, 0], 8) // 8-bit RGB, no interlace
  const rows = Array.from({ length: size }, (_row, y) =>
    Buffer.from([0, ...Array.from({ length: size }, (_cell, x) => pixel(x, y)).flat()])
  )
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ])
}
