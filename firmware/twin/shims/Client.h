#pragma once
#include "api/Client.h"
using arduino::Client;
