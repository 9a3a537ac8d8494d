import Foundation

/// The local (per-voxel) reactions of the chain, shared by the stochastic and mean-field forms.
enum ResistChemistry {
    /// Expected acids in a voxel of volume ΔV (nm³) holding ρ·ΔV PAG after a deposited exposure of
    /// `photons` absorbed-photon equivalents: ρ·ΔV·(1 − e^{−C·photons/ΔV}).
    @inline(__always)
    static func meanAcid(photons: Double, activation c: Double, volume: Double, pagDensity: Double) -> Double {
        pagDensity * volume * (1 - exp(-c * photons / volume))
    }

    /// Acid–quencher neutralisation over a time step: dA/dt = dQ/dt = −k·A·Q with A − Q = Δ conserved,
    /// solved exactly: A(t) = Δ·A₀/(A₀ − Q₀·e^{−kΔt}) (A(t) = A₀/(1 + k·A₀·t) when Δ = 0).
    /// Concentrations in 1/nm³, k·t in nm³. Returns (A, Q) after the step.
    @inline(__always)
    static func neutralize(acid a: Double, quencher q: Double, rate kt: Double) -> (Double, Double) {
        guard a > 0, q > 0 else { return (max(a, 0), max(q, 0)) }
        let delta = a - q
        let na: Double
        if abs(delta) * kt < 1e-9 {
            na = a / (1 + kt * a)
        } else {
            let e = exp(-kt * delta)
            na = delta * a / (a - q * e)
        }
        let clamped = max(0, min(a, na))
        return (clamped, max(0, clamped - delta))
    }

    /// Deprotected fraction 1 − e^{−k_amp·∫A dt} (k_amp·t_PEB in nm³, ∫A dt/t_PEB in 1/nm³).
    @inline(__always)
    static func deprotection(amplification k: Double, acidDose: Double) -> Double {
        1 - exp(-k * acidDose)
    }
}
