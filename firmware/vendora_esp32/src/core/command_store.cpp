#include "command_store.h"

namespace vendora {

// Blob format, text so a dump of the NVS entry is readable:
//   vendora-store 1\n
//   <V|D><s|-><u|-> <result|-> <command id>\n     one line per entry, oldest first
// V/D: Vending/Done; s: socketPending; u: serialWaiting.
namespace {
const char kHeader[] = "vendora-store 1";
}

const size_t CommandStore::kCapacity;

CommandStore::CommandStore(Storage& storage) : storage_(storage) {}

bool CommandStore::load() {
  entries_.clear();
  std::string blob;
  if (!storage_.load(blob)) return false;
  return deserialize(blob, entries_);
}

bool CommandStore::save() { return storage_.save(serialize(entries_)); }

StoredCommand* CommandStore::find(const std::string& id) {
  for (size_t i = 0; i < entries_.size(); ++i) {
    if (entries_[i].id == id) return &entries_[i];
  }
  return nullptr;
}

StoredCommand* CommandStore::add(const std::string& id, CommandState state, VendResult result, bool socketPending,
                                 bool serialWaiting) {
  if (entries_.size() >= kCapacity) {
    size_t victim = entries_.size();
    for (size_t i = 0; i < entries_.size(); ++i) {
      if (entries_[i].state == CommandState::Done && !entries_[i].socketPending && !entries_[i].serialWaiting) {
        victim = i;
        break;
      }
    }
    if (victim == entries_.size()) return nullptr;
    entries_.erase(entries_.begin() + static_cast<long>(victim));
  }
  StoredCommand entry;
  entry.id = id;
  entry.state = state;
  entry.result = result;
  entry.socketPending = socketPending;
  entry.serialWaiting = serialWaiting;
  entries_.push_back(entry);
  return &entries_.back();
}

std::vector<std::string> CommandStore::recoverInterrupted(size_t* recovered) {
  std::vector<std::string> serialIds;
  size_t count = 0;
  for (size_t i = 0; i < entries_.size(); ++i) {
    StoredCommand& entry = entries_[i];
    if (entry.state != CommandState::Vending) continue;
    entry.state = CommandState::Done;
    entry.result = VendResult::Interrupted;
    ++count;
    if (entry.serialWaiting) {
      serialIds.push_back(entry.id);
      entry.serialWaiting = false;
    }
  }
  if (recovered) *recovered = count;
  return serialIds;
}

size_t CommandStore::pendingCount() const {
  size_t count = 0;
  for (size_t i = 0; i < entries_.size(); ++i) {
    if (entries_[i].state == CommandState::Done && entries_[i].socketPending) ++count;
  }
  return count;
}

std::string CommandStore::serialize(const std::vector<StoredCommand>& entries) {
  std::string blob = kHeader;
  blob += '\n';
  for (size_t i = 0; i < entries.size(); ++i) {
    const StoredCommand& entry = entries[i];
    blob += entry.state == CommandState::Vending ? 'V' : 'D';
    blob += entry.socketPending ? 's' : '-';
    blob += entry.serialWaiting ? 'u' : '-';
    blob += ' ';
    blob += entry.state == CommandState::Done ? vendResultName(entry.result) : "-";
    blob += ' ';
    blob += entry.id;
    blob += '\n';
  }
  return blob;
}

bool CommandStore::deserialize(const std::string& blob, std::vector<StoredCommand>& entries) {
  entries.clear();
  size_t lineStart = 0;
  bool headerSeen = false;
  while (lineStart < blob.size()) {
    size_t lineEnd = blob.find('\n', lineStart);
    if (lineEnd == std::string::npos) lineEnd = blob.size();
    const std::string line = blob.substr(lineStart, lineEnd - lineStart);
    lineStart = lineEnd + 1;

    if (!headerSeen) {
      if (line != kHeader) return false;
      headerSeen = true;
      continue;
    }
    // "<flags> <result> <id>"
    const size_t firstSpace = line.find(' ');
    const size_t secondSpace = firstSpace == std::string::npos ? std::string::npos : line.find(' ', firstSpace + 1);
    if (firstSpace != 3 || secondSpace == std::string::npos) continue;
    StoredCommand entry;
    const char state = line[0];
    if (state != 'V' && state != 'D') continue;
    entry.state = state == 'V' ? CommandState::Vending : CommandState::Done;
    entry.socketPending = line[1] == 's';
    entry.serialWaiting = line[2] == 'u';
    const std::string result = line.substr(firstSpace + 1, secondSpace - firstSpace - 1);
    if (entry.state == CommandState::Done && !parseVendResult(result, entry.result)) continue;
    entry.id = line.substr(secondSpace + 1);
    if (!isValidCommandId(entry.id)) continue;
    if (entries.size() == kCapacity) entries.erase(entries.begin());
    entries.push_back(entry);
  }
  return headerSeen;
}

}  // namespace vendora
