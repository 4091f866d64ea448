#include "dispenser.h"

namespace vendora {

Dispenser::Dispenser(Hardware& hardware, Clock& clock, const DispenseTimings& timings)
    : hardware_(hardware),
      clock_(clock),
      timings_(timings),
      phase_(Phase::Idle),
      slot_(0),
      stalled_(false),
      sensorCheckFailed_(false),
      stallTiming_(false),
      turned_(false),
      edgesBase_(0),
      phaseStartMs_(0),
      clearSinceMs_(0),
      stallSinceMs_(0),
      result_(VendResult::NoDrop),
      lastSlot_(0),
      lastTurned_(false),
      lastFault_(false),
      lastIgnored_(0),
      motorStartUs_(0),
      homeMode_(false),
      homeSlot_(0),
      motorSlot_(0),
      listening_(false),
      beamBlocked_(false),
      breakStartUs_(0),
      edges_(0),
      ignored_(0),
      dropped_(false),
      homeLeft_(false),
      homeReached_(false) {}

bool Dispenser::setTimings(const DispenseTimings& timings) {
  if (busy()) return false;
  timings_ = timings;
  return true;
}

bool Dispenser::start(int slot) {
  if (phase_ != Phase::Idle) return false;
  const uint64_t nowMs = clock_.nowMs();
  slot_ = slot;
  stalled_ = false;
  stallTiming_ = false;
  sensorCheckFailed_ = false;
  turned_ = false;
  edgesBase_ = edges_.load();
  phaseStartMs_ = nowMs;
  clearSinceMs_ = nowMs;
  phase_ = Phase::SensorCheck;
  return true;
}

void Dispenser::tick() {
  const uint64_t nowMs = clock_.nowMs();
  switch (phase_) {
    case Phase::Idle:
    case Phase::Done:
      return;

    case Phase::SensorCheck:
      // A blocked or flickering beam would fake (or hide) a drop: do not
      // turn the motor on a sensor that cannot be trusted.
      if (hardware_.beamBlocked() || edges_.load() != edgesBase_) {
        edgesBase_ = edges_.load();
        clearSinceMs_ = nowMs;
      }
      if (nowMs - clearSinceMs_ < timings_.sensorCheckMs) {
        if (nowMs - phaseStartMs_ >= timings_.sensorWaitMs) {
          sensorCheckFailed_ = true;
          finish(VendResult::SensorFault);
        }
        return;
      }
      startMotor(nowMs);
      return;

    case Phase::Running: {
      const uint64_t running = nowMs - phaseStartMs_;
      if (motorOn()) {
        // What the interrupts would decide, checked here too: a break that
        // has not ended yet, a home switch whose edge was missed, the
        // timer. The stall input is the loop's alone.
        checkLongBreak(static_cast<uint32_t>(clock_.nowUs()));
        if (homeMode_) {
          if (!hardware_.atHome(slot_)) {
            homeLeft_.store(true);
          } else if (homeLeft_.load() && running >= timings_.homeLeaveMs) {
            homeReached_.store(true);
            cutMotor();
          }
        }
        if (running >= timings_.inrushMs && hardware_.motorStalled()) {
          if (!stallTiming_) {
            stallTiming_ = true;
            stallSinceMs_ = nowMs;
          }
          if (nowMs - stallSinceMs_ >= timings_.stallConfirmMs) {
            stalled_ = true;
            cutMotor();
          }
        } else {
          stallTiming_ = false;
        }
        if (running >= timings_.motorMaxMs) cutMotor();
        if (motorOn()) return;
      }
      hardware_.stopCutoffTimer();
      if (dropped_.load() && (!homeMode_ || homeReached_.load())) {
        finish(VendResult::Dropped);
        return;
      }
      phaseStartMs_ = nowMs;
      phase_ = Phase::Settling;
      return;
    }

    case Phase::Settling:
      checkLongBreak(static_cast<uint32_t>(clock_.nowUs()));
      if (dropped_.load()) {
        finish(VendResult::Dropped);
      } else if (nowMs - phaseStartMs_ >= timings_.dropWaitMs) {
        if (stalled_ || (homeMode_ && !homeReached_.load())) {
          finish(VendResult::Jam);
        } else if (hardware_.beamBlocked()) {
          // Blocked since a break that began in the ignore window: the
          // sensor cannot tell whether an item fell.
          finish(VendResult::SensorFault);
        } else {
          finish(VendResult::NoDrop);
        }
      }
      return;
  }
}

void Dispenser::startMotor(uint64_t nowMs) {
  // Everything the interrupt half reads is written before it listens.
  motorStartUs_ = static_cast<uint32_t>(clock_.nowUs());
  homeMode_ = hardware_.hasHomeSwitch(slot_);
  homeSlot_ = slot_;
  dropped_.store(false);
  homeLeft_.store(false);
  homeReached_.store(false);
  ignored_.store(0);
  beamBlocked_.store(hardware_.beamBlocked());
  listening_.store(true);

  // The timer first: from the moment the motor turns, its stop no longer
  // depends on this loop.
  hardware_.startCutoffTimer(timings_.motorMaxMs);
  motorSlot_.store(slot_);
  hardware_.setMotor(slot_, true);
  // A cut between the two lines above ran before the switch-on: undo it.
  if (motorSlot_.load() != slot_) hardware_.setMotor(slot_, false);
  turned_ = true;
  phaseStartMs_ = nowMs;
  phase_ = Phase::Running;
}

void Dispenser::cutMotor() {
  const int slot = motorSlot_.exchange(0);
  if (slot != 0) hardware_.setMotor(slot, false);
}

bool Dispenser::qualifies(uint32_t startUs, uint32_t widthUs) const {
  // Signed: a break that began before the motor start is in the window too.
  const int32_t sinceStart = static_cast<int32_t>(startUs - motorStartUs_);
  return sinceStart >= static_cast<int32_t>(timings_.beamIgnoreAfterStartMs * 1000) &&
         widthUs >= timings_.beamMinPulseUs;
}

void Dispenser::checkLongBreak(uint32_t nowUs) {
  // A break whose end has not come yet (an item resting in the beam, or
  // one still falling) counts as soon as it is long enough.
  if (dropped_.load() || !beamBlocked_.load() || !hardware_.beamBlocked()) return;
  const uint32_t startUs = breakStartUs_.load();
  if (!beamBlocked_.load() || !qualifies(startUs, nowUs - startUs)) return;
  dropped_.store(true);
  if (!homeMode_) cutMotor();
}

void Dispenser::onBeamEdge(bool blocked, uint32_t nowUs) {
  if (blocked) {
    if (beamBlocked_.exchange(true)) return;  // no change: a repeated level
    breakStartUs_.store(nowUs);
    edges_.fetch_add(1);
    return;
  }
  if (!beamBlocked_.exchange(false)) return;
  if (!listening_.load()) return;
  const uint32_t startUs = breakStartUs_.load();
  if (!qualifies(startUs, nowUs - startUs)) {
    ignored_.fetch_add(1);
    return;
  }
  dropped_.store(true);
  // With a home switch the spiral finishes its turn; without one the item
  // falling is the end of the turn.
  if (!homeMode_) cutMotor();
}

void Dispenser::onHomeSwitch(int slot, bool atHome, uint32_t nowUs) {
  if (!listening_.load() || !homeMode_ || slot != homeSlot_) return;
  if (!atHome) {
    homeLeft_.store(true);
    return;
  }
  const int32_t sinceStart = static_cast<int32_t>(nowUs - motorStartUs_);
  if (!homeLeft_.load() || sinceStart < static_cast<int32_t>(timings_.homeLeaveMs * 1000)) return;
  homeReached_.store(true);
  cutMotor();
}

void Dispenser::onMaxRunTimer() { cutMotor(); }

bool Dispenser::takeResult(VendResult& out) {
  if (phase_ != Phase::Done) return false;
  out = result_;
  phase_ = Phase::Idle;
  return true;
}

bool Dispenser::sensorOk() {
  if (phase_ == Phase::Idle) return !hardware_.beamBlocked();
  return !sensorCheckFailed_;
}

const char* Dispenser::phaseName() const {
  switch (phase_) {
    case Phase::Idle:
      return "idle";
    case Phase::SensorCheck:
      return "sensor_check";
    case Phase::Running:
      return "running";
    case Phase::Settling:
      return "settling";
    case Phase::Done:
      return "done";
  }
  return "idle";
}

void Dispenser::finish(VendResult result) {
  listening_.store(false);
  cutMotor();
  if (turned_) hardware_.stopCutoffTimer();
  lastSlot_ = slot_;
  lastTurned_ = turned_;
  lastFault_ = stalled_ || (turned_ && homeMode_ && !homeReached_.load());
  lastIgnored_ = ignored_.load();
  result_ = result;
  phase_ = Phase::Done;
}

}  // namespace vendora
