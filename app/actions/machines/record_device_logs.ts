import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { dbTimestamp } from '#services/db_helpers'
import DeviceMonitor from '#services/device_monitor'
import { DeviceToServerEvent, type LogLinesMessage } from '#services/device_protocol'

/**
 * A device's `log_lines { lines, dropped }` (firmware/PROTOCOL.md §13.3,
 * validated by `logLinesValidator`): kept on the machine
 * (`machines.device_logs`, replacing the previous pull, and
 * `device_logs_at` now) for its page. The monitor notes only how many
 * lines came: the lines themselves are on the page once.
 */
@inject()
export default class RecordDeviceLogs {
  constructor(protected monitor: DeviceMonitor) {}

  async handle(machineId: number, logs: LogLinesMessage): Promise<void> {
    await db
      .from('machines')
      .where('id', machineId)
      .update({
        device_logs: JSON.stringify({ lines: logs.lines, dropped: logs.dropped }),
        device_logs_at: dbTimestamp(db.connection()),
      })
    void this.monitor.record(machineId, 'in', DeviceToServerEvent.LogLines, {
      lines: logs.lines.length,
      dropped: logs.dropped,
    })
  }
}
