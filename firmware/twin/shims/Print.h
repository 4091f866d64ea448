#pragma once
#include "api/Print.h"
#include "Printable.h"
