// Stub for `make check-sketch`: lwIP's BSD socket API is the POSIX one.
#pragma once
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
