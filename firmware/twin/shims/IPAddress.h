// IPAddress is ArduinoCore-API's; arduino-esp32 has IPType and its values
// in the global namespace.
#pragma once
#include "api/IPAddress.h"
using arduino::IPType;
using arduino::IPv4;
using arduino::IPv6;
