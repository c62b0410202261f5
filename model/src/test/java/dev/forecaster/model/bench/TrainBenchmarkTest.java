package dev.forecaster.model.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TrainBenchmarkTest {

    @Test
    void workersAloneOnTwoCoresScaleByTwo() {
        assertEquals(2.0, TrainBenchmark.cpuBoundScaling(10, 0, 10, 0, 2), 1e-9);
    }

    @Test
    void otherThreadsRunFreeBesideOneWorkerButCompeteWithTwo() {
        // P=1: the worker's own core bounds it (10 ms per 1000 steps); the 4 ms of GC and
        // deallocation fit on the second core. P=2: 2 x 14 ms of CPU on 2 cores.
        assertEquals(2 / 14.0 / 0.1, TrainBenchmark.cpuBoundScaling(10, 4, 10, 4, 2), 1e-9);
    }

    @Test
    void slowerWorkersAtTwoLowerTheBound() {
        assertEquals(1.6, TrainBenchmark.cpuBoundScaling(8, 0, 10, 0, 2), 1e-9);
    }

    @Test
    void moreCoresThanThreadsLeaveOnlyTheWorkersAsTheBound() {
        assertEquals(2.0, TrainBenchmark.cpuBoundScaling(10, 10, 10, 10, 16), 1e-9);
    }
}
