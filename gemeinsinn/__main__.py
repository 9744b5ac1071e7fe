from gemeinsinn.cli import main

main()
