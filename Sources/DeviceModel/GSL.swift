import CGSL

// Every call into GNU GSL goes through this file: the error handler switch, the random
// number generator and the Student t quantile.

/// An error status returned by a GSL function, with GSL's own description of it.
public struct GSLError: Error, CustomStringConvertible, Equatable {
    /// The GSL status code (`GSL_EDOM`, `GSL_ENOMEM`, ...).
    public let status: Int32
    /// The GSL function or operation that failed.
    public let operation: String

    public var description: String {
        let reason = gsl_strerror(status).map { String(cString: $0) } ?? "unknown GSL status"
        return "GSL \(operation) failed with status \(status): \(reason)"
    }
}

enum GSL {
    /// Switches off GSL's default handler, which aborts the process on any error, so that
    /// failures come back as status codes and become `GSLError`. Runs once per process.
    static let abortHandlerDisabled: Void = {
        _ = gsl_set_error_handler_off()
    }()

    /// Throws `GSLError` for any status other than `GSL_SUCCESS`.
    static func check(_ status: Int32, _ operation: String) throws(GSLError) {
        guard status == Int32(GSL_SUCCESS) else {
            throw GSLError(status: status, operation: operation)
        }
    }
}

/// A random stream from GSL (MT19937 by default), seeded explicitly and owned by one
/// trial or worker. It is not safe to share between threads.
public final class RandomGenerator {
    private let state: UnsafeMutablePointer<gsl_rng>

    /// The generator algorithms a stream can use.
    public enum Algorithm: Sendable {
        /// GSL's MT19937, the default of every stream whose draws results depend on.
        case mt19937
        /// GSL's taus2, a maximally equidistributed Tausworthe generator (period about 2^88)
        /// that draws faster than MT19937; used for the many draws of read noise.
        case taus2
    }

    /// Creates an MT19937 stream from a 64-bit seed. GSL's generators take 32 bits of
    /// seed, so the 64-bit value is first folded with SplitMix64 to keep all its bits
    /// significant.
    ///
    /// - Throws: `GSLError` when GSL cannot allocate the generator.
    public init(seed: UInt64) throws(GSLError) {
        state = try Self.allocate(.mt19937, seed: seed)
    }

    /// Creates a stream of the given algorithm from a 64-bit seed, folded as above.
    ///
    /// - Throws: `GSLError` when GSL cannot allocate the generator.
    public init(seed: UInt64, algorithm: Algorithm) throws(GSLError) {
        state = try Self.allocate(algorithm, seed: seed)
    }

    private static func allocate(_ algorithm: Algorithm, seed: UInt64) throws(GSLError) -> UnsafeMutablePointer<gsl_rng> {
        GSL.abortHandlerDisabled
        let type = switch algorithm {
        case .mt19937: gsl_rng_mt19937
        case .taus2: gsl_rng_taus2
        }
        guard let state = gsl_rng_alloc(type) else {
            throw GSLError(status: Int32(GSL_ENOMEM), operation: "gsl_rng_alloc(\(algorithm))")
        }
        let folded = SeedSequence.mix(seed)
        gsl_rng_set(state, UInt(folded >> 32 ^ folded & 0xffff_ffff))
        return state
    }

    deinit {
        gsl_rng_free(state)
    }

    /// Draws e ~ N(0, 1) with GSL's ziggurat method.
    @inline(__always)
    public func standardNormal() -> Double {
        gsl_ran_gaussian_ziggurat(state, 1.0)
    }

    /// Draws u uniformly from [0, 1).
    @inline(__always)
    public func uniform() -> Double {
        gsl_rng_uniform(state)
    }

    /// Draws the number of successes in `trials` Bernoulli trials of probability `p`.
    public func binomial(probability p: Double, trials: Int) -> Int {
        Int(gsl_ran_binomial(state, p, UInt32(clamping: trials)))
    }
}

/// Derives independent stream seeds from a study seed and the coordinates of a work unit,
/// so a trial's draws depend only on (seed, grid point, trial) and never on scheduling.
public enum SeedSequence {
    /// The SplitMix64 finalizer: a bijective 64-bit mix with good avalanche.
    @inline(__always)
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The seed of one stream, chained through `mix` over every coordinate in order.
    public static func seed(_ base: UInt64, _ coordinates: UInt64...) -> UInt64 {
        coordinates.reduce(mix(base)) { mix($0 ^ mix($1)) }
    }
}

/// The standard normal distribution from GSL.
public enum StandardNormal {
    /// Returns P(Z <= z) for Z ~ N(0, 1).
    public static func cumulativeProbability(_ z: Double) -> Double {
        gsl_cdf_ugaussian_P(z)
    }
}

/// Quantiles of Student's t distribution, used for confidence intervals of trial means.
public enum StudentT {
    /// Returns t such that P(T <= t) = `probability` for `degreesOfFreedom` > 0.
    ///
    /// - Throws: `GSLError` when GSL returns a non-finite value for the arguments.
    public static func quantile(probability: Double, degreesOfFreedom: Double) throws(GSLError) -> Double {
        GSL.abortHandlerDisabled
        let value = gsl_cdf_tdist_Pinv(probability, degreesOfFreedom)
        guard value.isFinite else {
            throw GSLError(status: Int32(GSL_EDOM), operation: "gsl_cdf_tdist_Pinv(\(probability), \(degreesOfFreedom))")
        }
        return value
    }
}
