import emitter from '@adonisjs/core/services/emitter'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'

/**
 * `rollout:changed { rollout_id }`: a firmware rollout or one of its
 * targets changed (and was committed). Dashboards re-read the rollout.
 */
export interface RolloutChanged {
  rollout_id: number
}

/**
 * Announces that rollout `rolloutId` changed: at once, or, given the
 * transaction that made the change, once it commits (never for a rollback).
 */
export function announceRolloutChange(rolloutId: number, trx?: TransactionClientContract): void {
  const emit = () => void emitter.emit('rollout:changed', { rollout_id: rolloutId })
  if (trx) trx.after('commit', emit)
  else emit()
}
