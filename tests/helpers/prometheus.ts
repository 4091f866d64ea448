/**
 * The value of one sample in a Prometheus text exposition, e.g.
 * `sample(text, 'vendora_vends_total', { result: 'dropped' })`, or 0 when
 * the series is absent (a counter never incremented is not printed).
 * Labels must match exactly, in any order.
 */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (!match || match[1] !== name) continue
    const found: Record<string, string> = {}
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      found[key] = value
    const wanted = Object.entries(labels)
    if (
      Object.keys(found).length === wanted.length &&
      wanted.every(([key, value]) => found[key] === value)
    ) {
      return Number(match[3])
    }
  }
  return 0
}
