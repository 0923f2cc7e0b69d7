from plaintrust.cli import main

main()
