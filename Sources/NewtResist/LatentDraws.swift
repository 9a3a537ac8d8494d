import NewtCore

/// A trial's randomness as independent standard normal latents, one per pixel and noise source:
/// the trial as a deterministic function of a Gaussian vector.
///
/// Each discrete draw is the inverse CDF of its law at Φ(z) (``NormalInversion``), with the mean
/// the trial has reached at that pixel (photons, acids, quencher, deprotected groups); the
/// threshold takes z itself. With z ~ N(0, I) a trial from latents is a plain Monte Carlo trial,
/// and every draw is non-decreasing in its z, so a small change of the latents is a small change
/// of the trial. Splitting estimators move whole trials by the preconditioned Crank–Nicolson step
/// z' = ρz + √(1 − ρ²)ξ, ξ ~ N(0, I), which leaves N(0, I) invariant and is reversible: a
/// proposal that an accept/reject on the rare set turns into a sampler of the physical law
/// conditioned on it.
///
/// Latents are single precision (as ``RandomStream/fillNormals(_:)`` draws them): the law is
/// exact to that resolution.
public struct LatentDraws: Sendable, Equatable {
    /// Noise sources, in order: photons, acid, quencher, deprotection, threshold.
    public static let sources = 5
    /// Pixels per source (nx · ny, row-major).
    public let pixels: Int
    /// Latents, source-major: `normals[source · pixels + i]`.
    public var normals: [Float]

    /// Independent N(0, 1) latents for `pixels` pixels, drawn from `rng`.
    public init(pixels: Int, rng: inout RandomStream) {
        self.pixels = pixels
        normals = [Float](repeating: 0, count: Self.sources * pixels)
        normals.withUnsafeMutableBufferPointer { rng.fillNormals($0) }
    }

    /// The Crank–Nicolson move z' = ρz + √(1 − ρ²)ξ with ξ ~ N(0, I) on every latent. It leaves
    /// N(0, I) invariant and is reversible with respect to it.
    public func crankNicolson(correlation rho: Double, rng: inout RandomStream) -> LatentDraws {
        var next = self
        let a = Float(rho), b = Float((1 - rho * rho).squareRoot())
        next.normals.withUnsafeMutableBufferPointer { z in
            rng.fillNormals(z)
            let zp = z.baseAddress!
            normals.withUnsafeBufferPointer { old in
                let o = old.baseAddress!
                for i in 0..<z.count { zp[i] = a * o[i] + b * zp[i] }
            }
        }
        return next
    }
}
