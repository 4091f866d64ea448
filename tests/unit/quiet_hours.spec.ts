import { test } from '@japa/runner'
import { deviceFirmwareVersion, inQuietHours } from '#services/device_protocol'

/** A UTC time of day on an arbitrary date. */
function at(hours: number, minutes: number): Date {
  return new Date(Date.UTC(2026, 11, 5, hours, minutes))
}

test.group('Quiet hours (firmware/PROTOCOL.md §13.2)', () => {
  test('a window within one day includes its start and excludes its end', ({ assert }) => {
    const noon = { quiet_start_min: 720, quiet_end_min: 840 }
    assert.isFalse(inQuietHours(noon, at(11, 59)))
    assert.isTrue(inQuietHours(noon, at(12, 0)))
    assert.isTrue(inQuietHours(noon, at(13, 59)))
    assert.isFalse(inQuietHours(noon, at(14, 0)))
  })

  test('a start after the end spans midnight', ({ assert }) => {
    const night = { quiet_start_min: 1320, quiet_end_min: 300 }
    assert.isFalse(inQuietHours(night, at(21, 59)))
    assert.isTrue(inQuietHours(night, at(22, 0)))
    assert.isTrue(inQuietHours(night, at(0, 30)))
    assert.isTrue(inQuietHours(night, at(4, 59)))
    assert.isFalse(inQuietHours(night, at(5, 0)))
  })

  test('equal bounds or unknown settings mean no quiet hours', ({ assert }) => {
    assert.isFalse(inQuietHours({ quiet_start_min: 600, quiet_end_min: 600 }, at(10, 0)))
    assert.isFalse(inQuietHours(null, at(10, 0)))
  })

  test('a release version maps to the firmware string the device reports', ({ assert }) => {
    assert.equal(deviceFirmwareVersion('1.2.3'), 'vendora-esp32-1.2.3')
  })
})
