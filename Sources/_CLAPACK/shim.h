#ifndef NEWT_CLAPACK_SHIM_H
#define NEWT_CLAPACK_SHIM_H
/* LAPACKE and CBLAS (OpenBLAS). C99 complex types do not cross into Swift, so the helpers below take
   interleaved (re, im) double arrays and cast them. All matrices are column-major. */
#include <lapacke.h>
#include <cblas.h>

/* Eigen-decomposition of an n×n Hermitian matrix (upper triangle used). On return `a` holds the
   orthonormal eigenvectors as columns and `w` the eigenvalues in ascending order. Returns LAPACK info. */
static inline int newt_zheevd(int n, double *a, int lda, double *w) {
    return (int)LAPACKE_zheevd(LAPACK_COL_MAJOR, 'V', 'U', n, (lapack_complex_double *)a, lda, w);
}

/* C = Aᴴ·A (upper triangle), A is rows×cols, C is cols×cols. */
static inline void newt_zherk_ah_a(int rows, int cols, const double *a, int lda, double *c, int ldc) {
    cblas_zherk(CblasColMajor, CblasUpper, CblasConjTrans, cols, rows, 1.0, a, lda, 0.0, c, ldc);
}

/* C = A·B for complex column-major A (m×k), B (k×n), C (m×n). */
static inline void newt_zgemm(int m, int n, int k, const double *a, int lda, const double *b, int ldb,
                              double *c, int ldc) {
    const double one[2] = {1.0, 0.0};
    const double zero[2] = {0.0, 0.0};
    cblas_zgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, m, n, k, one, a, lda, b, ldb, zero, c, ldc);
}

/* Eigenvalues `w` (n, interleaved) and right eigenvectors `vr` (n×n) of a general complex n×n matrix
   `a` (overwritten). Returns LAPACK info. */
static inline int newt_zgeev(int n, double *a, int lda, double *w, double *vr, int ldvr) {
    return (int)LAPACKE_zgeev(LAPACK_COL_MAJOR, 'N', 'V', n, (lapack_complex_double *)a, lda,
                              (lapack_complex_double *)w, NULL, 1, (lapack_complex_double *)vr, ldvr);
}

/* Solves A·X = B for X (A n×n, overwritten by its LU factors; B n×nrhs, overwritten by X). Returns
   LAPACK info (> 0: A is singular). */
static inline int newt_zgesv(int n, int nrhs, double *a, int lda, int *ipiv, double *b, int ldb) {
    return (int)LAPACKE_zgesv(LAPACK_COL_MAJOR, n, nrhs, (lapack_complex_double *)a, lda, ipiv,
                              (lapack_complex_double *)b, ldb);
}

/* Solves A·x = b for real A (n×n, row-major, overwritten by its LU factors) and nrhs right-hand
   sides (b n×nrhs row-major, overwritten by x). Returns LAPACK info (> 0: A is singular). */
static inline int newt_dgesv(int n, int nrhs, double *a, int *ipiv, double *b) {
    return (int)LAPACKE_dgesv(LAPACK_ROW_MAJOR, n, nrhs, a, n, ipiv, b, nrhs);
}

/* Sets the BLAS library's own thread count when it is OpenBLAS (looked up at run time, so another
   BLAS links too) and returns the previous count, or 0 when the library has no such control.
   Callers that already run many small problems in parallel set 1 to avoid oversubscription. */
#include <dlfcn.h>
static inline int newt_blas_set_threads(int n) {
    void *self = dlopen(NULL, RTLD_LAZY);
    if (!self) return 0;
    int (*get)(void) = (int (*)(void))dlsym(self, "openblas_get_num_threads");
    void (*set)(int) = (void (*)(int))dlsym(self, "openblas_set_num_threads");
    if (!get || !set) return 0;
    int previous = get();
    set(n);
    return previous;
}

#endif
