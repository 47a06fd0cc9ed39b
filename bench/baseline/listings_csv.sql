read_csv('@WORKLOAD@/listings.csv', header = true, quote = '"', escape = '"',
         columns = {id: 'VARCHAR', marketplace: 'VARCHAR', seller_id: 'VARCHAR', title: 'VARCHAR',
                    category: 'VARCHAR', price: 'VARCHAR', moq: 'VARCHAR', updated_at: 'VARCHAR',
                    hs_code: 'VARCHAR', list_price: 'VARCHAR', discount: 'VARCHAR', attributes: 'VARCHAR'})
