"""One dynamic partition per input file, registered by the sensor, the schedule or the CLI."""

import dagster as dg

input_files = dg.DynamicPartitionsDefinition(name="input_files")

#: A run over many files is one run (one process), not one run per file.
single_run = dg.BackfillPolicy.single_run()
