#pragma once
#include "NetworkClientSecure.h"
