// String is ArduinoCore-API's (arduino::String, exported to the global namespace).
#pragma once
#include "api/String.h"
