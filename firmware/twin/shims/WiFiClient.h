#pragma once
#include "NetworkClient.h"
