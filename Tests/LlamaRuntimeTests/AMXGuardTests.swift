import Testing

@testable import LlamaRuntime

/// llama.cpp's AMX kernels crash on AMX CPUs (ggml-org/llama.cpp#20824). Parley's build leaves them
/// out; a library that still has them loads models without the repacked buffers they come through.
@Suite struct AMXGuardTests {
    @Test func theFeatureLineNamesTheAMXKernels() {
        let amx = "CPU : SSE3 = 1 | AVX2 = 1 | AVX512_VNNI = 1 | AMX_INT8 = 1 | OPENMP = 1 | REPACK = 1 | "
        let plain = "CPU : SSE3 = 1 | AVX2 = 1 | AVX512_VNNI = 1 | AVX512_BF16 = 1 | OPENMP = 1 | REPACK = 1 | "
        #expect(LlamaBackend.carriesAMXKernels(systemInfo: amx))
        #expect(!LlamaBackend.carriesAMXKernels(systemInfo: plain))
        #expect(!LlamaBackend.carriesAMXKernels(systemInfo: "CPU : AMX_INT8 = 0 | NOT_AMX_INT8 = 1 | "))
        #expect(!LlamaBackend.carriesAMXKernels(systemInfo: ""))
    }

    /// Parley's own build of llama.cpp (deploy/llama-build.sh) leaves the AMX kernels out, so its
    /// weights are repacked on every CPU. Fails on an AMX machine when that build flag is lost.
    @Test func parleysLlamaBuildHasNoAMXKernelsAndRepacksWeights() {
        #expect(!LlamaBackend.hasAMXKernels, "\(LlamaBackend.systemInfo)")
        #expect(SmokeTests.model.repacksWeights)
    }
}
