import Testing
import Foundation
import NewtCore
import NewtCase
import NewtEnsemble

/// A shard runs in a fresh process, the local run after whatever the process planned before: the
/// two agree only if an ensemble does not depend on the FFT plans made earlier in the process.
@Suite("Ensembles do not depend on the process's planning history")
struct PlanHistoryTests {
    @Test("FFT plans (measured and estimated, double and single precision) made between two runs leave the second run's bits unchanged")
    func measuredPlansLeaveNoWisdom() throws {
        let c = try ShardFixture.smallCase()
        let before = try ResistJob.run(c, dose: 26, focus: 5, trials: 6, seed: 1, threads: 1)
        let s = try ResistSetup(c, dose: 26, focus: 5)
        // Sizes whose measured sub-plans (1-D DFTs of the grid's sides) an ESTIMATE plan could reuse.
        for (nx, ny) in [(s.nx, 32), (32, s.ny), (s.nx, s.ny), (16, 16)] {
            _ = FFT2D(nx: nx, ny: ny, measure: true)
            _ = FFT2DFloat(nx: nx, ny: ny, measure: true)
            _ = RealFFT2DFloat(nx: nx, ny: ny, measure: true)
            // Estimated plans leave wisdom too, which a later FFTW_ESTIMATE plan would use.
            _ = FFT2D(nx: nx, ny: ny, measure: false)
            _ = FFT2DFloat(nx: nx, ny: ny, measure: false)
            _ = RealFFT2DFloat(nx: 2 * nx, ny: ny, measure: false)
            _ = FFT1D(count: ny)
        }
        let after = try ResistJob.run(c, dose: 26, focus: 5, trials: 6, seed: 1, threads: 1)
        let d = try ShardFixture.differences(before, after)
        #expect(d.isEmpty, "differ: \(d)")
    }
}
