#pragma once
#include "api/Printable.h"
using arduino::Printable;
