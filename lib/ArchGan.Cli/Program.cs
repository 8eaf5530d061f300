Console.WriteLine("archgan: under construction");
