#!/usr/bin/env python
from gemeinsinn.cli import main

if __name__ == "__main__":
    main()
