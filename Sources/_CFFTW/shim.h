#ifndef NEWT_CFFTW_SHIM_H
#define NEWT_CFFTW_SHIM_H
/* FFTW3 in double and single precision. Complex arrays are interleaved (re, im) pairs, the same
   memory layout as Swift's Complex<Double> / Complex<Float>. */
#include <fftw3.h>

static inline int newt_fftw_forward(void) { return FFTW_FORWARD; }
static inline int newt_fftw_backward(void) { return FFTW_BACKWARD; }
static inline unsigned newt_fftw_measure(void) { return FFTW_MEASURE; }
static inline unsigned newt_fftw_estimate(void) { return FFTW_ESTIMATE; }
static inline unsigned newt_fftw_patient(void) { return FFTW_PATIENT; }
static inline unsigned newt_fftw_wisdom_only(void) { return FFTW_WISDOM_ONLY; }

#endif
