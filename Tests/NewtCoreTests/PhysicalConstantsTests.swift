import Testing
import NewtCore

@Suite("Photon bookkeeping constants")
struct PhysicalConstantsTests {
    @Test("EUV photon energy 91.84 eV and 0.6796 photons/nm² per mJ/cm² at 13.5 nm")
    func euvPhotons() {
        #expect(abs(PhysicalConstants.photonEnergyEV(wavelengthNM: 13.5) - 91.84) < 0.01)
        #expect(abs(PhysicalConstants.photonsPerNM2(doseMJPerCM2: 1, wavelengthNM: 13.5) - 0.6796) < 1e-4)
        #expect(abs(PhysicalConstants.photonsPerNM2(doseMJPerCM2: 30, wavelengthNM: 13.5) - 20.39) < 0.01)
    }
}
