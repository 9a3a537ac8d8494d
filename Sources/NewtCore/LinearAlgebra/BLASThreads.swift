import _CLAPACK

/// The BLAS library's own threads, pinned to one.
///
/// newtsim parallelises above BLAS (source points, trials), and a multi-threaded BLAS both
/// oversubscribes the cores there and makes results depend on its thread count (its reductions
/// are split differently). So every LAPACK/BLAS entry point of NewtCore first touches
/// ``pinned``, which sets OpenBLAS to one thread once per process (a no-op for other libraries):
/// the same inputs give bit-identical results on any machine load and thread count.
public enum BLASThreads {
    /// Evaluated once, thread-safely, before the first BLAS or LAPACK call.
    public static let pinned: Void = { _ = newt_blas_set_threads(1) }()
}
