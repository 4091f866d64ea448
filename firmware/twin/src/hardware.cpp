// GPIO and the simulated machine: motors, the IR drop beam, the stall
// input and a spiral's home switch, played by the hardware thread after
// each motor start as the command line scripts them (twin.h: Script).
#include <Arduino.h>

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "twin.h"

namespace {

const int kPins = NUM_DIGITAL_PINS;

struct Interrupt {
  void (*plain)(void) = nullptr;
  void (*withArg)(void*) = nullptr;
  void* arg = nullptr;
  int mode = DISABLED;
};

std::atomic<int> gLevels[kPins];
// Interrupt handlers: changed and called under the interrupt lock.
Interrupt gInterrupts[kPins];

// The machine: wiring, script and what runs now. Guarded by gSimMutex,
// which is never held while an interrupt handler runs.
std::mutex gSimMutex;
twin::Wiring gWiring = {nullptr, 0, HIGH, -1, HIGH, -1, HIGH, nullptr, LOW};
twin::Script gScript;
std::function<std::string()> gCommandId;
std::vector<bool> gMotorOn;
std::vector<std::vector<uint64_t>> gPending;  // per slot: scheduled mechanics to cancel at motor stop
bool gConfigured = false;

bool validPin(int pin) { return pin >= 0 && pin < kPins; }

/** The slot (1-based) whose motor is on `pin`, or 0. */
int slotOfPin(int pin) {
  for (int i = 0; i < gWiring.slotCount; ++i) {
    if (gWiring.slotPins[i] == pin) return i + 1;
  }
  return 0;
}

/**
 * Sets an input's level as the outside world drives it and runs its
 * interrupt handler when the edge matches. Called on the hardware thread,
 * holding the interrupt lock.
 */
void driveInput(int pin, int level) {
  if (!validPin(pin)) return;
  const int previous = gLevels[pin].exchange(level);
  const Interrupt handler = gInterrupts[pin];
  if (!handler.plain && !handler.withArg) return;
  bool fire = false;
  switch (handler.mode) {
    case RISING:
      fire = previous == LOW && level == HIGH;
      break;
    case FALLING:
      fire = previous == HIGH && level == LOW;
      break;
    case CHANGE:
      fire = previous != level;
      break;
    case ONLOW:
    case ONLOW_WE:
      fire = previous != level && level == LOW;
      break;
    case ONHIGH:
    case ONHIGH_WE:
      fire = previous != level && level == HIGH;
      break;
    default:
      break;
  }
  if (!fire) return;
  if (handler.plain) handler.plain();
  if (handler.withArg) handler.withArg(handler.arg);
}

/** The home switch input of `slot`, or -1. */
int homePinOf(int slot) { return gWiring.homePins && slot >= 1 && slot <= gWiring.slotCount ? gWiring.homePins[slot - 1] : -1; }

int opposite(int level) { return level == HIGH ? LOW : HIGH; }

/** Beam blocked (true) or clear, on the hardware thread. */
void setBeam(bool blocked) {
  const int pin = gWiring.sensorPin;
  driveInput(pin, blocked ? gWiring.sensorBlockedLevel : opposite(gWiring.sensorBlockedLevel));
}

/** Schedules `action` for `slot`'s current run; cancelled if the motor stops first. */
void forRun(int slot, uint64_t atUs, std::function<void()> action) {
  gPending[slot].push_back(twin::schedule(atUs, std::move(action)));
}

void scheduleHomeTurns(int slot, uint64_t startUs) {
  // Cam off the switch 150 ms into a turn, back on it when the turn ends.
  const uint64_t releaseUs = startUs + 150000;
  const uint64_t homeUs = startUs + static_cast<uint64_t>(gScript.turnMs) * 1000;
  const int pin = homePinOf(slot);
  const int active = gWiring.homeActiveLevel;
  forRun(slot, releaseUs, [pin, active] { driveInput(pin, opposite(active)); });
  forRun(slot, homeUs, [slot, pin, active, homeUs] {
    driveInput(pin, active);
    std::lock_guard<std::mutex> lock(gSimMutex);
    if (gMotorOn[slot]) scheduleHomeTurns(slot, homeUs);
  });
}

/** What the mechanics do once `slot`'s motor is on (gSimMutex held). */
void startMechanics(int slot) {
  const uint64_t startUs = twin::nowUs();
  if (gScript.drop && gWiring.sensorPin >= 0) {
    const uint64_t blockUs = startUs + static_cast<uint64_t>(gScript.dropAfterMs) * 1000;
    const uint64_t clearUs = blockUs + static_cast<uint64_t>(gScript.dropBlockMs) * 1000;
    forRun(slot, blockUs, [clearUs] {
      setBeam(true);
      // The item is falling: it clears the beam even if the motor stops now.
      twin::schedule(clearUs, [] { setBeam(false); });
    });
  }
  if (gScript.glitchAtMs >= 0 && gWiring.sensorPin >= 0) {
    const uint64_t glitchUs = startUs + static_cast<uint64_t>(gScript.glitchAtMs) * 1000;
    const uint64_t endUs = glitchUs + gScript.glitchUs;
    forRun(slot, glitchUs, [endUs] {
      setBeam(true);
      twin::schedule(endUs, [] { setBeam(false); });
    });
  }
  if (gScript.stallAfterMs >= 0 && gWiring.stallPin >= 0) {
    const int pin = gWiring.stallPin;
    const int active = gWiring.stallActiveLevel;
    forRun(slot, startUs + static_cast<uint64_t>(gScript.stallAfterMs) * 1000, [pin, active] { driveInput(pin, active); });
  }
  if (validPin(homePinOf(slot))) scheduleHomeTurns(slot, startUs);
}

/** The motor stopped (gSimMutex held): pending mechanics are cancelled, the stall current ends. */
void stopMechanics(int slot) {
  for (uint64_t id : gPending[slot]) twin::cancel(id);
  gPending[slot].clear();
  if (gScript.stallAfterMs >= 0 && gWiring.stallPin >= 0) {
    const int pin = gWiring.stallPin;
    const int inactive = opposite(gWiring.stallActiveLevel);
    twin::schedule(twin::nowUs(), [pin, inactive] { driveInput(pin, inactive); });
  }
}

}  // namespace

namespace twin {

void configureHardware(const Wiring& wiring, const Script& script) {
  std::lock_guard<std::mutex> lock(gSimMutex);
  gWiring = wiring;
  gScript = script;
  gMotorOn.assign(static_cast<size_t>(wiring.slotCount + 1), false);
  gPending.assign(static_cast<size_t>(wiring.slotCount + 1), std::vector<uint64_t>());
  if (validPin(wiring.sensorPin)) gLevels[wiring.sensorPin] = opposite(wiring.sensorBlockedLevel);
  if (validPin(wiring.stallPin)) gLevels[wiring.stallPin] = opposite(wiring.stallActiveLevel);
  for (int slot = 1; slot <= wiring.slotCount; ++slot) {
    // Every spiral starts at home: its switch pressed.
    if (validPin(homePinOf(slot))) gLevels[homePinOf(slot)] = wiring.homeActiveLevel;
  }
  gConfigured = true;
}

void setCommandIdProvider(std::function<std::string()> provider) {
  std::lock_guard<std::mutex> lock(gSimMutex);
  gCommandId = std::move(provider);
}

}  // namespace twin

void pinMode(uint8_t, uint8_t) {}

void digitalWrite(uint8_t pin, uint8_t val) {
  if (!validPin(pin)) return;
  gLevels[pin] = val ? HIGH : LOW;
  std::lock_guard<std::mutex> lock(gSimMutex);
  const int slot = gConfigured ? slotOfPin(pin) : 0;
  if (slot == 0) return;
  const bool on = (val ? HIGH : LOW) == gWiring.motorOnLevel;
  if (on == gMotorOn[slot]) return;
  gMotorOn[slot] = on;
  if (on) {
    const std::string id = gCommandId ? gCommandId() : std::string();
    twin::event("MOTOR %d ON %s", slot, id.empty() ? "-" : id.c_str());
    startMechanics(slot);
  } else {
    twin::event("MOTOR %d OFF", slot);
    stopMechanics(slot);
  }
}

int digitalRead(uint8_t pin) { return validPin(pin) ? gLevels[pin].load() : LOW; }

uint16_t analogRead(uint8_t) { return 0; }
void analogWrite(uint8_t, int) {}

void attachInterrupt(uint8_t pin, void (*handler)(void), int mode) {
  if (!validPin(pin)) return;
  twin::enterCritical();
  gInterrupts[pin] = Interrupt();
  gInterrupts[pin].plain = handler;
  gInterrupts[pin].mode = mode;
  twin::exitCritical();
}

void attachInterruptArg(uint8_t pin, void (*handler)(void*), void* arg, int mode) {
  if (!validPin(pin)) return;
  twin::enterCritical();
  gInterrupts[pin] = Interrupt();
  gInterrupts[pin].withArg = handler;
  gInterrupts[pin].arg = arg;
  gInterrupts[pin].mode = mode;
  twin::exitCritical();
}

void detachInterrupt(uint8_t pin) {
  if (!validPin(pin)) return;
  twin::enterCritical();
  gInterrupts[pin] = Interrupt();
  twin::exitCritical();
}
