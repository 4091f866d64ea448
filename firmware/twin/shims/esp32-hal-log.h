#pragma once
#include "esp_log.h"
