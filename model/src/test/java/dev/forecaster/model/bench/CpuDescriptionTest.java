package dev.forecaster.model.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class CpuDescriptionTest {

    private static final List<CpuDescription.Cache> ZEN4 = List.of(
            new CpuDescription.Cache("1", "Data", "32K"),
            new CpuDescription.Cache("1", "Instruction", "32K"),
            new CpuDescription.Cache("2", "Unified", "1024K"),
            new CpuDescription.Cache("3", "Unified", "32768K"));

    @Test
    void namesTheModelAndTheDataCaches() {
        String cpuinfo = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC\nflags\t\t: avx512f\n"
                + "processor\t: 1\nmodel name\t: AMD EPYC\n";
        assertEquals("cpu AMD EPYC, L1d 32K, L2 1024K, L3 32768K", CpuDescription.describe(cpuinfo, ZEN4));
    }

    @Test
    void leavesOutWhatItCannotRead() {
        assertEquals("cpu unknown", CpuDescription.describe("", List.of()));
        assertEquals("cpu unknown, L1d 48K", CpuDescription.describe("flags : sse2\n",
                List.of(new CpuDescription.Cache("1", "Data", "48K"))));
    }

    @Test
    void fallsBackToOtherArchitecturesKeys() {
        assertEquals(Optional.of("ARMv7 Processor rev 4 (v7l)"),
                CpuDescription.modelName("Processor\t: ARMv7 Processor rev 4 (v7l)\nBogoMIPS\t: 38.40\n"));
        assertEquals(Optional.of("Neoverse-V2"), CpuDescription.modelName("model name : \nModel name : Neoverse-V2\n"));
        assertEquals(Optional.empty(), CpuDescription.modelName("model name :   \n"));
    }

    @Test
    void describesThisMachine() {
        String d = CpuDescription.describe();
        assertTrue(d.startsWith("cpu ") && !d.contains("\n"), d);
    }
}
