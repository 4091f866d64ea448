import { io, type Socket } from 'socket.io-client'
import type { ApiClient } from '@japa/api-client'
import type Machine from '#models/machine'
import type Product from '#models/product'
import { baseUrl } from '#tests/helpers/server'
import { Namespaces, ShopperEvent } from '#services/device_protocol'

/**
 * An order as the API and the `order_updated` event present it
 * (`presentOrder`), with the fields tests read.
 */
export interface PresentedOrder {
  id: number
  status: string
  command_id: string
  failure_reason: string | null
  price_paise: number
  [field: string]: unknown
}

/**
 * Buys one `product` from `machine` through `POST /api/v1/products/:id/buy`.
 *
 * @returns the order from the 201 response
 * @throws Error with the response body when the buy is refused
 */
export async function buyThroughApi(
  client: ApiClient,
  token: string,
  product: Product,
  machine: Machine
): Promise<PresentedOrder> {
  const response = await client
    .post(`/api/v1/products/${product.id}/buy`)
    .bearerToken(token)
    .json({ machine: machine.code })
  if (response.status() !== 201) {
    throw new Error(`buy refused with ${response.status()}: ${JSON.stringify(response.body())}`)
  }
  return response.body().order
}

/**
 * A shopper's live socket on `/orders`, recording every `order_updated`.
 */
export class ShopperSocket {
  readonly updates: PresentedOrder[] = []
  #listeners: (() => void)[] = []

  constructor(readonly socket: Socket) {
    socket.on(ShopperEvent.OrderUpdated, (order: PresentedOrder) => {
      this.updates.push(order)
      this.#listeners.forEach((listener) => listener())
    })
  }

  /**
   * Resolves with the first update, received so far or later, that
   * matches `predicate`.
   */
  waitForUpdate(
    predicate: (order: PresentedOrder) => boolean,
    timeoutMs = 5000
  ): Promise<PresentedOrder> {
    const found = this.updates.find(predicate)
    if (found) return Promise.resolve(found)
    return new Promise((resolve, reject) => {
      const stop = () => (this.#listeners = this.#listeners.filter((other) => other !== listener))
      const listener = () => {
        const match = this.updates.find(predicate)
        if (!match) return
        clearTimeout(timer)
        stop()
        resolve(match)
      }
      const timer = setTimeout(() => {
        stop()
        reject(
          new Error(
            `no matching order_updated within ${timeoutMs} ms; got ${JSON.stringify(this.updates)}`
          )
        )
      }, timeoutMs)
      this.#listeners.push(listener)
    })
  }

  close() {
    this.socket.disconnect()
  }
}

/**
 * Connects to `/orders` with `auth: { token }` (no auth at all when
 * `token` is undefined) and resolves once joined.
 *
 * @throws the connect error (`invalid_token`) when refused
 */
export function connectShopper(token?: unknown): Promise<ShopperSocket> {
  return new Promise((resolve, reject) => {
    const socket = io(`${baseUrl()}${Namespaces.Orders}`, {
      auth: token === undefined ? {} : { token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    })
    const shopper = new ShopperSocket(socket)
    socket.once('connect', () => resolve(shopper))
    socket.once('connect_error', (error) => {
      socket.disconnect()
      reject(error)
    })
  })
}
