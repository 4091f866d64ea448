#include "dispenser.h"

namespace vendora {

Dispenser::Dispenser(Hardware& hardware, const DispenseTimings& timings)
    : hardware_(hardware),
      timings_(timings),
      phase_(Phase::Idle),
      slot_(0),
      motorOn_(false),
      stalled_(false),
      sensorCheckFailed_(false),
      stallTiming_(false),
      breaksBase_(0),
      phaseStartMs_(0),
      clearSinceMs_(0),
      stallSinceMs_(0),
      result_(VendResult::NoDrop) {}

bool Dispenser::start(int slot, uint64_t nowMs) {
  if (phase_ != Phase::Idle) return false;
  slot_ = slot;
  motorOn_ = false;
  stalled_ = false;
  stallTiming_ = false;
  sensorCheckFailed_ = false;
  breaksBase_ = hardware_.beamBreaks();
  phaseStartMs_ = nowMs;
  clearSinceMs_ = nowMs;
  phase_ = Phase::SensorCheck;
  return true;
}

void Dispenser::tick(uint64_t nowMs) {
  switch (phase_) {
    case Phase::Idle:
    case Phase::Done:
      return;

    case Phase::SensorCheck:
      // A blocked or flickering beam would fake (or hide) a drop: do not
      // turn the motor on a sensor that cannot be trusted.
      if (hardware_.beamBlocked() || hardware_.beamBreaks() != breaksBase_) {
        breaksBase_ = hardware_.beamBreaks();
        clearSinceMs_ = nowMs;
      }
      if (nowMs - clearSinceMs_ < timings_.sensorCheckMs) {
        if (nowMs - phaseStartMs_ >= timings_.sensorWaitMs) {
          sensorCheckFailed_ = true;
          finish(VendResult::SensorFault);
        }
        return;
      }
      breaksBase_ = hardware_.beamBreaks();
      hardware_.setMotor(slot_, true);
      motorOn_ = true;
      phaseStartMs_ = nowMs;
      phase_ = Phase::Running;
      return;

    case Phase::Running: {
      if (dropSeen()) {
        finish(VendResult::Dropped);
        return;
      }
      const uint64_t running = nowMs - phaseStartMs_;
      if (running >= timings_.inrushMs && hardware_.motorStalled()) {
        if (!stallTiming_) {
          stallTiming_ = true;
          stallSinceMs_ = nowMs;
        }
        if (nowMs - stallSinceMs_ >= timings_.stallConfirmMs) stalled_ = true;
      } else {
        stallTiming_ = false;
      }
      if (stalled_ || running >= timings_.motorMaxMs) {
        stopMotor();
        phaseStartMs_ = nowMs;
        phase_ = Phase::Settling;
      }
      return;
    }

    case Phase::Settling:
      if (dropSeen()) {
        finish(VendResult::Dropped);
      } else if (nowMs - phaseStartMs_ >= timings_.dropWaitMs) {
        finish(stalled_ ? VendResult::Jam : VendResult::NoDrop);
      }
      return;
  }
}

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

bool Dispenser::dropSeen() { return hardware_.beamBreaks() != breaksBase_ || hardware_.beamBlocked(); }

void Dispenser::finish(VendResult result) {
  stopMotor();
  result_ = result;
  phase_ = Phase::Done;
}

void Dispenser::stopMotor() {
  if (motorOn_) hardware_.setMotor(slot_, false);
  motorOn_ = false;
}

}  // namespace vendora
