import Testing
import Foundation
import NewtProcess

@Suite("Process windows on constructed focus–exposure matrices")
struct ProcessWindowTests {
    /// CD = T·[1 − κ·(E − E₀)/E₀ + (f/F)²]: in spec for E between E₀(1 + ((f/F)² ∓ tol)/κ).
    static func synthetic(focusStep: Double = 2, kappa: Double = 1, F: Double = 100) -> FocusExposureMatrix {
        let focuses = stride(from: -80.0, through: 80, by: focusStep).map { $0 }
        let doses = stride(from: 20.0, through: 44, by: 0.5).map { $0 }
        let cd = focuses.map { f in doses.map { e in 14 * (1 - kappa * (e - 30) / 30 + (f / F) * (f / F)) } }
        return FocusExposureMatrix(focuses: focuses, doses: doses, cd: cd, target: 14)
    }

    @Test("Exposure latitude at zero DOF and DOF at 10 % EL match the closed forms")
    func closedForms() {
        let w = ProcessWindow(Self.synthetic())
        // EL(D) = [2·tol − (D/2F)²]/κ / (1 + (D/2F)²/(2κ)): 20 % at D = 0; 10 % at D = 2F·√(0.1/1.05).
        #expect(abs(w.maximumExposureLatitude - 20) < 0.05)
        let expected = 2 * 100 * (0.1 / 1.05).squareRoot()
        #expect(abs(w.dof(atExposureLatitude: 10) - expected) < 1.5, "DOF \(w.dof(atExposureLatitude: 10)) vs \(expected)")
        // The widest feasible window closes where (D/2F)² = 2·tol.
        let widest = w.elVersusDOF.last!.dof
        #expect(abs(widest - 2 * 100 * 0.2.squareRoot()) < 2.5)
        // Best focus is at the symmetry point; the 10 % window is centred on it.
        let best = w.window(atExposureLatitude: 10)!
        #expect(abs(best.focus) < 1.0)
    }

    @Test("EL falls monotonically as DOF grows, and the largest rectangle lies on that curve")
    func monotone() {
        let w = ProcessWindow(Self.synthetic())
        for (a, b) in zip(w.elVersusDOF, w.elVersusDOF.dropFirst()) { #expect(b.el <= a.el + 1e-9) }
        let r = w.largestRectangle!
        let product = w.elVersusDOF.map { $0.dof * $0.el }.max()!
        #expect(abs(r.dof * r.exposureLatitude - product) < 1e-9)
    }

    @Test("The largest ellipse lies inside the analytic window")
    func ellipseInside() throws {
        let w = ProcessWindow(Self.synthetic(focusStep: 1))
        let e = try #require(w.largestEllipse)
        #expect(e.dof > 20 && e.exposureLatitude > 5)
        for k in 0..<360 {
            let th = 2 * Double.pi * Double(k) / 360
            let f = e.focus + e.dof / 2 * cos(th), dose = e.dose * (1 + e.exposureLatitude / 200 * sin(th))
            let u = (f / 100) * (f / 100)
            let low = 30 * (1 + (u - 0.1)), high = 30 * (1 + (u + 0.1))
            #expect(dose >= low - 0.05 && dose <= high + 0.05, "boundary point \(f), \(dose) outside [\(low), \(high)]")
        }
    }

    @Test("No point in spec gives an empty window; a row crossing the band between samples is still found")
    func edgeCases() {
        let none = FocusExposureMatrix(focuses: [0, 10], doses: [20, 30], cd: [[30, 29], [30, 29]], target: 14)
        let w = ProcessWindow(none)
        #expect(w.elVersusDOF.isEmpty && w.largestRectangle == nil)
        // CD jumps from 16 to 12 between two doses: the band 12.6–15.4 lies between them.
        let jump = FocusExposureMatrix(focuses: [0], doses: [20, 30], cd: [[16, 12]], target: 14)
        let j = ProcessWindow(jump)
        let i = j.doseIntervals[0]!
        #expect(abs(i.low - 21.5) < 1e-9 && abs(i.high - 28.5) < 1e-9)
    }
}

@Suite("Common process window across the slit")
struct CommonProcessWindowTests {
    @Test("Slit dose error ±u shrinks the zero-DOF latitude to (E_max/(1+u) − E_min/(1−u)) at best focus")
    func doseUniformity() {
        let base = ProcessWindow(ProcessWindowTests.synthetic(focusStep: 1))
        let focuses = stride(from: -80.0, through: 80, by: 1).map { $0 }
        let cpw = CommonProcessWindow(base: base, focuses: focuses, slit: SlitModel(positions: 5, doseUniformity: 0.012, levelling: 1.2, hvFocusOffset: 0))
        let lo = 27 / 0.988, hi = 33 / 1.012
        let expected = 200 * (hi - lo) / (hi + lo)
        #expect(abs(cpw.window.maximumExposureLatitude - expected) < 0.02, "\(cpw.window.maximumExposureLatitude) vs \(expected)")
        #expect(cpw.window.maximumExposureLatitude < base.maximumExposureLatitude)
    }

    @Test("An H/V best-focus difference h costs exactly h of DOF on a symmetric window")
    func focusOffset() {
        let base = ProcessWindow(ProcessWindowTests.synthetic(focusStep: 1))
        let focuses = stride(from: -80.0, through: 80, by: 1).map { $0 }
        let cpw = CommonProcessWindow(base: base, focuses: focuses, slit: SlitModel(positions: 1, doseUniformity: 0, levelling: 1.2, hvFocusOffset: 20))
        let baseDOF = base.dof(atExposureLatitude: 10)
        #expect(abs(cpw.window.dof(atExposureLatitude: 10) - (baseDOF - 20)) < 1.5, "\(cpw.window.dof(atExposureLatitude: 10)) vs \(baseDOF - 20)")
        // Margin: DOF at the 8 % EL requirement minus 2 × levelling.
        #expect(abs(cpw.focusMargin - (cpw.window.dof(atExposureLatitude: 8) - 2.4)) < 1e-9)
    }

    @Test("The slit conditions cover both orientations at every position with ±u at the edges")
    func conditions() {
        let c = SlitModel(positions: 5, doseUniformity: 0.012, levelling: 1.2, hvFocusOffset: 1.8).conditions
        #expect(c.count == 10)
        #expect(abs(c.map(\.doseFactor).min()! - 0.988) < 1e-12 && abs(c.map(\.doseFactor).max()! - 1.012) < 1e-12)
        #expect(Set(c.map(\.focusOffset)) == [-0.9, 0.9])
    }
}
