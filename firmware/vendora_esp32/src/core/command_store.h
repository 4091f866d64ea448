// The persistent store of recent vend commands (PROTOCOL.md §6): what makes
// a vend at-most-once across repeated commands, lost acks and reboots.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <string>
#include <vector>

#include "platform.h"
#include "types.h"

namespace vendora {

/** `Vending`: the motor may be turning (written before it starts). `Done`: result known. */
enum class CommandState : uint8_t { Vending, Done };

/**
 * One remembered command. The first four fields are persisted; the rest
 * are per boot.
 */
struct StoredCommand {
  std::string id;
  CommandState state;
  VendResult result;  // meaningful when Done
  /** The result must reach the server over socket.io and has not been acked yet. */
  bool socketPending;
  /** A serial `VEND` waits for this result (persisted so a reboot can answer `interrupted`). */
  bool serialWaiting;

  // Per boot: the connection (Device's hello counter) and time of the last send.
  uint32_t sentConnection;
  uint64_t lastSentMs;

  StoredCommand()
      : state(CommandState::Done),
        result(VendResult::NoDrop),
        socketPending(false),
        serialWaiting(false),
        sentConnection(0),
        lastSentMs(0) {}
};

/**
 * A ring of the last `kCapacity` commands, oldest first, saved as one blob
 * through Storage (one NVS write is atomic, so the blob is never half new).
 *
 * Eviction takes the oldest entry that is Done and acked; an entry that is
 * Vending or still owed to the server is never dropped (§6.3).
 */
class CommandStore {
 public:
  static const size_t kCapacity = 16;

  explicit CommandStore(Storage& storage);

  /**
   * Reads the saved blob. Lines that cannot be read are skipped.
   *
   * @returns false when nothing usable was saved (the store is then empty)
   */
  bool load();

  /** Writes the whole store. @returns false when the write failed */
  bool save();

  /** The entry for `id`, or nullptr. Valid until the next add(). */
  StoredCommand* find(const std::string& id);

  /**
   * Appends an entry, evicting the oldest acked Done entry when full. The
   * caller saves.
   *
   * @returns the new entry (valid until the next add), or nullptr when the
   *   store is full of entries that must be kept
   */
  StoredCommand* add(const std::string& id, CommandState state, VendResult result, bool socketPending,
                     bool serialWaiting);

  /**
   * After a reboot: every Vending entry was cut off mid-vend. Marks them
   * Done/interrupted (never resumed, §6.2). The caller saves.
   *
   * @returns the ids that were recovered and had a serial request waiting
   */
  std::vector<std::string> recoverInterrupted(size_t* recovered);

  /** Entries, oldest first. */
  std::vector<StoredCommand>& entries() { return entries_; }
  const std::vector<StoredCommand>& entries() const { return entries_; }

  /** Number of Done results the server has not acked. */
  size_t pendingCount() const;

  /** The persisted form (see command_store.cpp), exposed for tests. */
  static std::string serialize(const std::vector<StoredCommand>& entries);
  static bool deserialize(const std::string& blob, std::vector<StoredCommand>& entries);

 private:
  Storage& storage_;
  std::vector<StoredCommand> entries_;
};

}  // namespace vendora
