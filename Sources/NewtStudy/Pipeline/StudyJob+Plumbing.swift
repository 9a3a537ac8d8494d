import NewtCalibration

extension StudyJob.Options {
    /// The quick study with 2 trials per ensemble, the lightest importance sampler (256 trials
    /// after a 100-trial design point and one 100-trial round) and a 2-dose search on 28–32
    /// mJ/cm²: runs every phase in seconds to check the pipeline's plumbing (resume, farms,
    /// failures), not its estimates.
    static var plumbing: StudyJob.Options {
        var o = StudyJob.Options()
        o.quick = true
        o.trials = 2
        var i = ImportanceSettings()
        i.trials = 256; i.precision = 0; i.minimumTrials = 128; i.designTrials = 100; i.rounds = 1; i.roundTrials = 100
        o.importance = i
        var rule = DoseDecision.Rule()
        rule.doses = 28...32; rule.screenStep = 2; rule.screenTrials = 2; rule.maxTests = 2; rule.cornerSteps = 0; rule.importance = i
        o.decision = rule
        return o
    }
}
