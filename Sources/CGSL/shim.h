/* The part of GSL that hybridsim uses. SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef HYBRIDSIM_CGSL_SHIM_H
#define HYBRIDSIM_CGSL_SHIM_H
#include <gsl/gsl_version.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_sort_double.h>
/* Swift 6 rejects reading GSL's mutable global generator-type pointers; these accessors avoid it. */
static inline const gsl_rng_type *cgsl_rng_type_mt19937(void) { return gsl_rng_mt19937; }
static inline const gsl_rng_type *cgsl_rng_type_ranlxd2(void) { return gsl_rng_ranlxd2; }
/* Name of NumericCore's xoshiro256** gsl_rng_type: a string literal, so it lives for the whole process. */
static inline const char *cgsl_xoshiro256starstar_name(void) { return "xoshiro256**"; }
#endif
