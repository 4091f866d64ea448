// PROGMEM is ordinary memory on the ESP32 as on Linux: the core's pgmspace.h
// maps every _P function to the plain one, as ArduinoCore-API's does.
#pragma once
#include <string.h>
#include "api/deprecated-avr-comp/avr/pgmspace.h"
