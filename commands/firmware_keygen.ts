import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import FirmwareSigner from '#services/firmware_signer'

/**
 * `node ace firmware:keygen` makes a new ECDSA P-256 key pair for signing
 * firmware and prints the private key (with the env line to set it as
 * FIRMWARE_SIGNING_KEY) and the public key, as PEM and as the
 * `VENDORA_FIRMWARE_PUBKEY` define for the firmware's `config.h`. Nothing
 * is written to disk: the operator keeps the private key.
 */
export default class FirmwareKeygen extends BaseCommand {
  static commandName = 'firmware:keygen'
  static description = 'Make an ECDSA P-256 key pair for signing firmware releases'
  static options: CommandOptions = {}

  async run() {
    const { privateKeyPem, publicKeyPem } = FirmwareSigner.generate()
    this.logger.log('# Private key: keep it secret, give it to the server only.')
    this.logger.log(privateKeyPem.trim())
    this.logger.log('')
    this.logger.log('# In the server environment (.env), on one line:')
    this.logger.log(`FIRMWARE_SIGNING_KEY="${FirmwareSigner.oneLine(privateKeyPem)}"`)
    this.logger.log('')
    this.logger.log('# Public key:')
    this.logger.log(publicKeyPem.trim())
    this.logger.log('')
    this.logger.log('# For the firmware config.h:')
    this.logger.log(
      `#define VENDORA_FIRMWARE_PUBKEY ${FirmwareSigner.cStringLiteral(publicKeyPem)}`
    )
  }
}
