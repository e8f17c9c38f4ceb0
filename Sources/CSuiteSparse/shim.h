#include <suitesparse/cholmod.h>
