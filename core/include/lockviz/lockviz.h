/* lockviz: the whole public interface of the engine. */
#ifndef LOCKVIZ_H
#define LOCKVIZ_H

#include "err.h"
#include "trace.h"
#include "prims.h"
#include "run.h"
#include "analysis.h"
#include "explore.h"
#include "io.h"
#include "record.h"

#endif
