import Foundation
import NewtCore

/// The local (per-voxel) reactions of the chain, shared by the stochastic and mean-field forms.
enum ResistChemistry {
    /// Expected acids in a voxel of volume ΔV (nm³) holding ρ·ΔV PAG after a deposited exposure of
    /// `photons` absorbed-photon equivalents: ρ·ΔV·(1 − e^{−C·photons/ΔV}).
    @inline(__always)
    static func meanAcid(photons: Double, activation c: Double, volume: Double, pagDensity: Double) -> Double {
        pagDensity * volume * (1 - exp(-c * photons / volume))
    }

    /// Acid–quencher neutralisation over a time step τ, solved exactly, with the exact acid dose.
    ///
    /// dA/dt = dQ/dt = −k·A·Q conserves A − Q. With m = |A − Q|, x = k·m·τ, e = e^{−x} and
    /// g = (1 − e)/x (→ 1 as x → 0):
    ///
    ///     A ≥ Q:  A(τ) = A/(1 + Q·kτ·g),      A < Q:  A(τ) = A·e/(1 + A·kτ·g),   Q(τ) = A(τ) − (A − Q)
    ///     ∫₀^τ A dt = τ·max(A − Q, 0) + ln(1 + min(A, Q)·kτ·g)/k
    ///
    /// free of overflow and cancellation. Concentrations in 1/nm³, kτ in nm³. Returns (A, Q, ∫A dt/τ).
    @inline(__always)
    static func react(acid a: Double, quencher q: Double, rate kt: Double) -> (acid: Double, quencher: Double, meanAcid: Double) {
        guard a > 0 else { return (0, max(q, 0), 0) }
        guard q > 0, kt > 0 else { return (a, max(q, 0), a) }
        let delta = a - q
        let x = kt * abs(delta)
        let g = x < 1e-8 ? 1 - x / 2 : -Foundation.expm1(-x) / x
        let small = min(a, q)
        let na = delta >= 0 ? a / (1 + q * kt * g) : a * Foundation.exp(-x) / (1 + a * kt * g)
        let mean = max(delta, 0) + Foundation.log1p(small * kt * g) / kt
        return (na, max(na - delta, 0), mean)
    }

    /// Neutralisation over a time step for scalar use: (A, Q) after the step.
    @inline(__always)
    static func neutralize(acid a: Double, quencher q: Double, rate kt: Double) -> (Double, Double) {
        let r = react(acid: a, quencher: q, rate: kt)
        return (r.acid, r.quencher)
    }

    /// The exact reaction step over whole fields (single precision), adding ∫A dt = τ·(mean acid)
    /// to the acid dose. With E = e^{−x} and R = 1 + min(A, Q)·kτ·g, the closed form of
    /// ``react(acid:quencher:rate:)`` reads A(τ) = (A ≥ Q ? A : A·E)/R and ∫A dt/τ = max(A − Q, 0) +
    /// ln R/kτ: one exponential, one reciprocal and one logarithm per pixel, branch-free.
    static func react(acid: UnsafeMutableBufferPointer<Float>, quencher: UnsafeMutableBufferPointer<Float>,
                      acidDose: UnsafeMutableBufferPointer<Float>, scratch: UnsafeMutableBufferPointer<Float>,
                      rate kt: Float, duration tau: Float) {
        guard kt > 0 else {
            for k in 0..<acid.count { acidDose[k] += tau * (acid[k] > 0 ? acid[k] : 0) }
            return
        }
        let n = acid.count
        let ap = acid.baseAddress!, qp = quencher.baseAddress!, dp = acidDose.baseAddress!, yp = scratch.baseAddress!
        // Two simple passes vectorise better than one large one.
        for k in 0..<n {
            let a = ap[k] > 0 ? ap[k] : 0, q = qp[k] > 0 ? qp[k] : 0
            let delta = a - q
            let x = kt * (delta < 0 ? -delta : delta)
            let e = VectorMath.exp(-x)
            // g = (1 − e^{−x})/x: series below 0.1 (no cancellation), quotient above.
            let series = 1 - x * (0.5 - x * ((1.0 / 6) - x * ((1.0 / 24) - x * (1.0 / 120))))
            let g = x < 0.1 ? series : (1 - e) / x
            let small = a < q ? a : q
            let y = small * kt * g
            let na = (delta >= 0 ? a : a * e) / (1 + y)
            let nq = na - delta
            ap[k] = na > 1e-30 ? na : 0
            qp[k] = nq > 1e-30 ? nq : 0
            yp[k] = y
            dp[k] += tau * (delta > 0 ? delta : 0)
        }
        let scale = tau / kt
        for k in 0..<n { dp[k] += scale * VectorMath.log1p(yp[k]) }
    }

    /// Deprotected fraction 1 − e^{−k_amp·∫A dt} (k_amp·t_PEB in nm³, ∫A dt/t_PEB in 1/nm³).
    @inline(__always)
    static func deprotection(amplification k: Double, acidDose: Double) -> Double {
        1 - exp(-k * acidDose)
    }
}
