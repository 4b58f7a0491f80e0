from budgetsite.cli import main

main()
