// The persistent command store: its blob, eviction rules and reboot recovery.
#include <doctest/doctest.h>

#include "../vendora_esp32/src/core/command_store.h"
#include "fakes.h"

using namespace vendora;
using vendora_test::FakeStorage;

TEST_CASE("the store round-trips through its blob") {
  FakeStorage storage;
  CommandStore store(storage);
  CHECK_FALSE(store.load());
  store.add("a-1", CommandState::Done, VendResult::Dropped, false, false);
  store.add("b-2", CommandState::Done, VendResult::SensorFault, true, false);
  store.add("c-3", CommandState::Vending, VendResult::NoDrop, true, true);
  REQUIRE(store.save());
  CHECK(storage.blob == "vendora-store 1\nD-- dropped a-1\nDs- sensor_fault b-2\nVsu - c-3\n");

  CommandStore reloaded(storage);
  REQUIRE(reloaded.load());
  REQUIRE(reloaded.entries().size() == 3);
  CHECK(reloaded.entries()[1].id == "b-2");
  CHECK(reloaded.entries()[1].result == VendResult::SensorFault);
  CHECK(reloaded.entries()[1].socketPending);
  CHECK(reloaded.entries()[2].state == CommandState::Vending);
  CHECK(reloaded.entries()[2].serialWaiting);
  CHECK(reloaded.pendingCount() == 1);
}

TEST_CASE("unreadable lines are skipped, a foreign blob is ignored") {
  std::vector<StoredCommand> entries;
  CHECK(CommandStore::deserialize("vendora-store 1\nD-- dropped ok-1\nX-- dropped bad\nD-- exploded bad-2\n"
                                  "D-- dropped has space\nD-- jam ok-2",
                                  entries));
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].id == "ok-1");
  CHECK(entries[1].id == "ok-2");
  CHECK(entries[1].result == VendResult::Jam);
  CHECK_FALSE(CommandStore::deserialize("something else\nD-- dropped x\n", entries));
  CHECK(entries.empty());
  CHECK_FALSE(CommandStore::deserialize("", entries));
}

TEST_CASE("a full store evicts the oldest acked result, never a running or unacked one") {
  FakeStorage storage;
  CommandStore store(storage);
  store.add("running", CommandState::Vending, VendResult::NoDrop, true, false);
  store.add("owed", CommandState::Done, VendResult::Jam, true, false);
  for (int i = 0; i < 14; ++i) store.add("acked-" + std::to_string(i), CommandState::Done, VendResult::Dropped, false, false);
  REQUIRE(store.entries().size() == CommandStore::kCapacity);

  REQUIRE(store.add("new-1", CommandState::Done, VendResult::Dropped, true, false));
  CHECK(store.entries().size() == CommandStore::kCapacity);
  CHECK(store.find("acked-0") == nullptr);
  CHECK(store.find("running") != nullptr);
  CHECK(store.find("owed") != nullptr);
  CHECK(store.entries().back().id == "new-1");
}

TEST_CASE("a store full of unacked results refuses new commands") {
  FakeStorage storage;
  CommandStore store(storage);
  for (size_t i = 0; i < CommandStore::kCapacity; ++i) {
    REQUIRE(store.add("owed-" + std::to_string(i), CommandState::Done, VendResult::Dropped, true, false));
  }
  CHECK(store.add("one-more", CommandState::Vending, VendResult::NoDrop, true, false) == nullptr);
  store.entries()[3].socketPending = false;  // its ack arrived
  CHECK(store.add("one-more", CommandState::Vending, VendResult::NoDrop, true, false) != nullptr);
  CHECK(store.find("owed-3") == nullptr);
}

TEST_CASE("after a reboot, vends that were running become interrupted") {
  FakeStorage storage;
  CommandStore store(storage);
  store.add("done", CommandState::Done, VendResult::Dropped, false, false);
  store.add("cut-socket", CommandState::Vending, VendResult::NoDrop, true, false);
  store.add("cut-serial", CommandState::Vending, VendResult::NoDrop, false, true);
  size_t recovered = 0;
  const std::vector<std::string> serial = store.recoverInterrupted(&recovered);
  CHECK(recovered == 2);
  REQUIRE(serial.size() == 1);
  CHECK(serial[0] == "cut-serial");
  CHECK(store.find("cut-socket")->result == VendResult::Interrupted);
  CHECK(store.find("cut-socket")->socketPending);
  CHECK(store.find("cut-serial")->state == CommandState::Done);
  CHECK_FALSE(store.find("cut-serial")->serialWaiting);
  CHECK(store.find("done")->result == VendResult::Dropped);
}
