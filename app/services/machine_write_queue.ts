/**
 * Runs each machine's writes (presence, `last_seen_at`, monitor events) one
 * after another, in the order they were queued: on PostgreSQL two pooled
 * connections could otherwise apply a quick connect/disconnect pair
 * (flapping Wi-Fi) in the wrong order and leave the machine `online` with
 * no device, or show monitor events out of order. Different machines'
 * writes run side by side. One per process (a container singleton).
 */
export default class MachineWriteQueue {
  /** Each machine's last queued write, which the next one waits for. */
  #writes = new Map<number, Promise<void>>()

  /**
   * Runs `work` after the machine's earlier queued writes, whatever they did.
   *
   * @returns the write; it rejects when `work` does
   */
  enqueue(machineId: number, work: () => Promise<void>): Promise<void> {
    const write = (this.#writes.get(machineId) ?? Promise.resolve()).catch(() => {}).then(work)
    this.#writes.set(machineId, write)
    write
      .finally(() => this.#writes.get(machineId) === write && this.#writes.delete(machineId))
      .catch(() => {})
    return write
  }

  /**
   * Resolves once every machine's queued writes ran (including writes
   * queued meanwhile).
   */
  async settle(): Promise<void> {
    while (this.#writes.size > 0) await Promise.allSettled([...this.#writes.values()])
  }

  /**
   * Forgets every queued write (they still run), as when the socket server
   * closes.
   */
  clear(): void {
    this.#writes.clear()
  }
}
