from okg.cli import main

main()
