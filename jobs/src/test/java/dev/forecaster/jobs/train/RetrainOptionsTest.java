package dev.forecaster.jobs.train;

import dev.forecaster.model.lifecycle.RoundOptions;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetrainOptionsTest {

    @Test
    void roundOptionsCarryBothTruncatedBpttLengths() {
        RoundOptions defaults = RetrainOptions.roundOptions(new Configuration());
        assertEquals(24, defaults.tbpttLength());
        assertEquals(0, defaults.tbpttBackLength(), "0: the whole segment");

        Configuration config = new Configuration();
        config.set(RetrainOptions.TBPTT_LENGTH, 16);
        config.set(RetrainOptions.TBPTT_BACKWARD_LENGTH, 4);
        RoundOptions round = RetrainOptions.roundOptions(config);
        assertEquals(16, round.tbpttLength());
        assertEquals(4, round.tbpttBackLength());
        assertEquals(4, round.withLocalBatches(3).tbpttBackLength());

        config.set(RetrainOptions.TBPTT_BACKWARD_LENGTH, 17);
        assertThrows(IllegalArgumentException.class, () -> RetrainOptions.roundOptions(config));
        assertTrue(RetrainOptions.all().contains(RetrainOptions.TBPTT_BACKWARD_LENGTH));
    }
}
