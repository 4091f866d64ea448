import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import { MAX_SLOT_CAPACITY } from '#validators/planogram'

/**
 * A list of ids as a query string may carry it: `machines=1,2`, repeated
 * `machines[]=1&machines[]=2`, or one `machines=1`. Anything else is
 * left for the validator to refuse.
 */
function idList(value: unknown): unknown {
  if (typeof value === 'string') {
    return value
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)
  }
  return value
}

const pickListQuery = vine.compile(
  vine.object({
    route: vine.number().withoutDecimals().min(1).optional(),
    machines: vine.array(vine.number().withoutDecimals().min(1)).maxLength(500).optional(),
    format: vine.enum(['html', 'csv'] as const).optional(),
  })
)

/**
 * `GET /admin/restock/pick-list` query: `route=<id>` or machines by id
 * (`machines=1,2` or repeated `machines[]`), and `format=csv` for the CSV.
 * Empty values are dropped first (an unselected route select sends "").
 */
export const pickListValidator = {
  validate(query: Record<string, unknown>) {
    const filled = Object.fromEntries(
      Object.entries(query).filter(([, value]) => value !== '' && value !== null)
    )
    if ('machines' in filled) filled.machines = idList(filled.machines)
    return pickListQuery.validate(filled)
  },
}

/**
 * The restock visit form: units loaded per slot, `loaded[slot_<id>]`,
 * whole numbers from 0. `meta.slots` maps each field name (`slot_<id>`)
 * of the machine's stocked slots to its number and room (capacity minus
 * units on hand, as the page was built); a field for any other slot, or
 * more than the room, is refused here and the action checks the room
 * again against the rows under lock.
 */
export const restockVisitValidator = vine
  .withMetaData<{ slots: Record<string, { number: number; room: number }> }>()
  .compile(
    vine.object({
      loaded: vine.record(
        vine.number().withoutDecimals().min(0).max(MAX_SLOT_CAPACITY).use(withinRoomRule())
      ),
    })
  )
restockVisitValidator.messagesProvider = new SimpleMessagesProvider({
  number: 'Enter a whole number of units.',
  min: 'The units loaded cannot be below {{ min }}.',
  max: 'That is more than any slot holds.',
  withoutDecimals: 'Enter a whole number of units.',
})

function withinRoomRule() {
  return vine.createRule((value, _options, field) => {
    if (typeof value !== 'number') return
    const slots = field.meta.slots as Record<string, { number: number; room: number }>
    const slot = slots[String(field.name)]
    if (!slot) {
      field.report('This is not a stocked slot of this machine.', 'unknown_slot', field)
    } else if (value > slot.room) {
      field.report(
        `Slot ${slot.number} has room for ${slot.room} more units only.`,
        'visit_over_capacity',
        field
      )
    }
  })()
}

const routeMessages = new SimpleMessagesProvider({
  'name.required': 'Give the route a name.',
  'name.maxLength': 'The name can be at most {{ max }} characters.',
  'name.database.unique': 'Another route has this name.',
  'positions.*.number': 'Enter the stop as a whole number, or leave it empty.',
  'positions.*.min': 'Stops are numbered from {{ min }}.',
  'positions.*.max': 'Stops are numbered up to {{ max }}.',
})

/**
 * The route form: a name (unique) and, per machine, its stop number on
 * the route (`positions[m_<machine id>]`, empty = not on this route).
 * `meta.routeId` is the route being edited, so its own name is no clash.
 */
export const restockRouteValidator = vine.withMetaData<{ routeId: number | null }>().compile(
  vine.object({
    name: vine
      .string()
      .trim()
      .minLength(1)
      .maxLength(80)
      .unique(async (db, value, field) => {
        const query = db.from('restock_routes').where('name', value)
        const routeId = field.meta.routeId as number | null
        if (routeId) query.whereNot('id', routeId)
        return !(await query.first())
      }),
    positions: vine
      .record(vine.number().withoutDecimals().min(1).max(999).nullable().optional())
      .optional(),
  })
)
restockRouteValidator.messagesProvider = routeMessages

/**
 * The machines of a route form in visit order: those with a stop number,
 * by that number (ties by machine id), from `positions[m_<id>]`.
 */
export function orderedMachineIds(positions: Record<string, number | null | undefined> = {}) {
  return Object.entries(positions)
    .flatMap(([key, stop]) => {
      const match = /^m_(\d+)$/.exec(key)
      return match && typeof stop === 'number' ? [{ id: Number(match[1]), stop }] : []
    })
    .sort((a, b) => a.stop - b.stop || a.id - b.id)
    .map((entry) => entry.id)
}
