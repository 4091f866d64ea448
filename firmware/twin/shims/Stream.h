#pragma once
#include "api/Stream.h"
#include "Printable.h"
