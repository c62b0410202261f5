#!/usr/bin/env python3
"""Disassemble C2 code that HotSpot printed without hsdis.

Without the hsdis plugin, -XX:+PrintAssembly / -XX:CompileCommand=print fall back to "abstract
disassembly": the machine code as hex words. This turns the [MachCode] block of one compiled
method back into bytes and runs objdump on them (binutils), so the loop of a kernel can be read,
e.g. whether C2 kept a range check per vector load (docs/kernel.md, "Session 10").

  java --add-modules jdk.incubator.vector -XX:+UnlockDiagnosticVMOptions \\
    -XX:CompileCommand=dontinline,dev.forecaster.model.kernel.VectorPanels::rows1x4 \\
    -XX:CompileCommand=print,dev.forecaster.model.kernel.VectorPanels::rows1x4 \\
    -cp ... dev.forecaster.model.kernel.StepPartsProbe l1pair > print.log
  docs/tools/hotspot_disasm.py print.log rows1x4        # the last C2 compilation of rows1x4
"""
import re
import subprocess
import sys
import tempfile

WORDS = re.compile(r'\s*0x([0-9a-f]+): ((?:[0-9a-f]{2,8} ?\|? ?)+)$')


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: hotspot_disasm.py PRINT_LOG METHOD_NAME')
    lines = open(sys.argv[1]).read().split('\n')
    starts = [i for i, l in enumerate(lines)
              if l.startswith('Compiled method (c2)') and ('::' + sys.argv[2] + ' ') in l]
    if not starts:
        sys.exit('no C2 compilation of %s in %s' % (sys.argv[2], sys.argv[1]))
    i = starts[-1]
    while not lines[i].startswith('[MachCode]'):
        i += 1
    code, base = bytearray(), None
    i += 1
    while not lines[i].startswith('[/MachCode]'):
        m = WORDS.match(lines[i])
        if m:
            address = int(m.group(1), 16)
            if base is None:
                base = address
            if address != base + len(code):
                sys.exit('gap in machine code at 0x%x' % address)
            code += bytes.fromhex(m.group(2).replace('|', '').replace(' ', ''))
        i += 1
    with tempfile.NamedTemporaryFile(suffix='.bin') as f:
        f.write(code)
        f.flush()
        print(subprocess.run(['objdump', '-D', '-b', 'binary', '-mi386:x86-64',
                              '--adjust-vma=%d' % base, f.name],
                             capture_output=True, text=True, check=True).stdout)


if __name__ == '__main__':
    main()
