import _CLAPACK

/// Control of the BLAS library's internal threads.
public enum BLASThreads {
    /// Runs `body` with the BLAS library single-threaded (OpenBLAS; a no-op for other libraries),
    /// then restores the previous thread count. Use around many small problems that are already
    /// spread over threads: nested BLAS threads oversubscribe the cores.
    public static func single<T>(_ body: () throws -> T) rethrows -> T {
        let previous = newt_blas_set_threads(1)
        defer { if previous > 0 { _ = newt_blas_set_threads(previous) } }
        return try body()
    }
}
