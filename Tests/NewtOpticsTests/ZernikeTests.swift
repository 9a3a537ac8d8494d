import Testing
import Foundation
import NewtOptics

@Suite("Fringe Zernike polynomials")
struct ZernikeTests {
    @Test("Closed forms of Z4, Z9, Z7 and Z37")
    func closedForms() {
        for rho in stride(from: 0.0, through: 1.0, by: 0.125) {
            let r2 = rho * rho
            #expect(abs(FringeZernike.polynomial(4, rho: rho, theta: 0.3) - (2 * r2 - 1)) < 1e-12)
            #expect(abs(FringeZernike.polynomial(9, rho: rho, theta: 0.3) - (6 * r2 * r2 - 6 * r2 + 1)) < 1e-12)
            #expect(abs(FringeZernike.polynomial(7, rho: rho, theta: 0.3) - (3 * rho * r2 - 2 * rho) * cos(0.3)) < 1e-12)
            let z37 = 924 * pow(rho, 12) - 2772 * pow(rho, 10) + 3150 * pow(rho, 8) - 1680 * pow(rho, 6) + 420 * pow(rho, 4) - 42 * r2 + 1
            #expect(abs(FringeZernike.polynomial(37, rho: rho, theta: 0) - z37) < 1e-9)
        }
    }

    @Test("Polynomials are orthogonal over the unit disc")
    func orthogonality() {
        // Polar midpoint quadrature, exact enough for degree ≤ 12 with these steps.
        let nr = 1000, nt = 64
        let indices = [2, 4, 5, 7, 9, 11, 16, 25, 36]
        var table: [[Double]] = indices.map { _ in [] }
        var weights: [Double] = []
        for i in 0..<nr {
            let rho = (Double(i) + 0.5) / Double(nr)
            for j in 0..<nt {
                let th = 2 * Double.pi * Double(j) / Double(nt)
                weights.append(rho)
                for (k, z) in indices.enumerated() { table[k].append(FringeZernike.polynomial(z, rho: rho, theta: th)) }
            }
        }
        for a in 0..<indices.count {
            for b in (a + 1)..<indices.count {
                var s = 0.0, na = 0.0, nb = 0.0
                for q in weights.indices {
                    s += weights[q] * table[a][q] * table[b][q]
                    na += weights[q] * table[a][q] * table[a][q]
                    nb += weights[q] * table[b][q] * table[b][q]
                }
                #expect(abs(s) / (na * nb).squareRoot() < 1e-3, "Z\(indices[a]) · Z\(indices[b])")
            }
        }
    }
}
