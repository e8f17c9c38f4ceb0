// swift-tools-version:6.0
import PackageDescription

// Layers, lowest first: the C wrappers (CGSL, CBLAS, CZlib, CSuiteSparse, CMalloc), DeviceModel,
// Crossbar, Peripherals, Accelerator, ModelImport, then the reram-emu command. Each
// target depends only on targets below it.
let package = Package(
    name: "reram-emu",
    products: [
        .executable(name: "reram-emu", targets: ["reram-emu"]),
        .library(name: "Accelerator", targets: ["Accelerator"]),
        .library(name: "ModelImport", targets: ["ModelImport"]),
    ],
    targets: [
        .systemLibrary(name: "CGSL", path: "Sources/CGSL",
                       providers: [.apt(["libgsl-dev"])]),
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS",
                       providers: [.apt(["libopenblas-dev", "libgsl-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CSuiteSparse", path: "Sources/CSuiteSparse",
                       providers: [.apt(["libsuitesparse-dev"])]),
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        .target(name: "DeviceModel", dependencies: ["CGSL"]),
        .target(name: "Crossbar", dependencies: ["DeviceModel", "CBLAS", "CSuiteSparse"]),
        .target(name: "Peripherals", dependencies: ["DeviceModel"]),
        .target(name: "Accelerator",
                dependencies: ["DeviceModel", "Crossbar", "Peripherals", "CBLAS", "CGSL"]),
        .target(name: "ModelImport", dependencies: ["Accelerator", "CZlib"]),
        .executableTarget(name: "reram-emu",
                          dependencies: ["Accelerator", "ModelImport", "CBLAS", "CMalloc"]),
        .testTarget(name: "DeviceModelTests", dependencies: ["DeviceModel"]),
        .testTarget(name: "CrossbarTests", dependencies: ["Crossbar"]),
        // Runs ngspice as a subprocess. `make test-spice` installs ngspice and runs this target alone.
        .testTarget(name: "CrossbarCircuitTests", dependencies: ["Crossbar", "DeviceModel"]),
        .testTarget(name: "PeripheralsTests", dependencies: ["Peripherals"]),
        .testTarget(name: "AcceleratorTests", dependencies: ["Accelerator", "ModelImport"]),
        .testTarget(name: "ModelImportTests", dependencies: ["ModelImport"]),
        .testTarget(name: "CommandLineTests", dependencies: ["reram-emu"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v5]
)
