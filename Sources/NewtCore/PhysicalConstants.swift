/// Physical constants and unit conversions used across newtsim.
///
/// Lengths are in nm at wafer scale unless a name says otherwise, doses in mJ/cm², energies in eV.
public enum PhysicalConstants {
    /// Planck constant times the speed of light, hc = 1239.841984 eV·nm.
    public static let hcElectronVoltNM = 1239.841984
    /// Elementary charge, 1.602176634e-19 C (J per eV).
    public static let joulePerElectronVolt = 1.602176634e-19

    /// Photon energy E = hc/λ in eV for a wavelength in nm (91.84 eV at 13.5 nm).
    public static func photonEnergyEV(wavelengthNM: Double) -> Double {
        hcElectronVoltNM / wavelengthNM
    }

    /// Incident photons per nm² for a dose in mJ/cm² at a wavelength in nm.
    ///
    /// n = E·(1e-3 J/mJ)·(1e-14 cm²/nm²) / (hc/λ): 0.6796 photons/nm² per mJ/cm² at 13.5 nm.
    public static func photonsPerNM2(doseMJPerCM2 dose: Double, wavelengthNM: Double) -> Double {
        let joulePerNM2 = dose * 1e-3 * 1e-14
        return joulePerNM2 / (photonEnergyEV(wavelengthNM: wavelengthNM) * joulePerElectronVolt)
    }
}
